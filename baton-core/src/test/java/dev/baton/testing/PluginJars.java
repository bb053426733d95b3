package dev.baton.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Compiles a job class at test time into a jar of its own, so that one node can have a class that
 * another node lacks — the rolling-upgrade situation — with real class loading.
 */
public final class PluginJars {
  private PluginJars() {}

  /**
   * Writes {@code dir/<simpleName>.jar} holding {@code plugin.<simpleName>}, a job that records its
   * executions through {@link Recorder} like {@link RecordingJob}.
   */
  public static Path recordingJob(Path dir, String simpleName) throws IOException {
    String source =
        "package plugin;\n"
            + "public class "
            + simpleName
            + " implements org.quartz.Job {\n"
            + "  public void execute(org.quartz.JobExecutionContext ctx) {\n"
            + "    dev.baton.testing.Recorder.record(ctx, () -> {});\n"
            + "  }\n"
            + "}\n";
    Path src = Files.createTempDirectory("plugin-src");
    Path file = src.resolve("plugin").resolve(simpleName + ".java");
    Files.createDirectories(file.getParent());
    Files.writeString(file, source);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc =
        javac.run(
            null,
            null,
            null,
            "-classpath",
            System.getProperty("java.class.path"),
            "-d",
            src.toString(),
            file.toString());
    if (rc != 0) throw new IllegalStateException("javac failed for " + simpleName);
    Files.createDirectories(dir);
    Path jar = dir.resolve(simpleName + ".jar");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(out)) {
      for (String entry : List.of("plugin/" + simpleName + ".class")) {
        j.putNextEntry(new JarEntry(entry));
        j.write(Files.readAllBytes(src.resolve(entry)));
        j.closeEntry();
      }
    }
    return jar;
  }
}
