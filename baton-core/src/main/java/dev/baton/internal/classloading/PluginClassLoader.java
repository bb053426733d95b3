package dev.baton.internal.classloading;

import dev.baton.BatonException;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The one class loader every Quartz thread of a node resolves job classes with: the application's
 * class path plus plugin jars, which can be added while the node runs. Jars are only ever added, so
 * a class that loaded once keeps loading.
 */
public final class PluginClassLoader extends URLClassLoader {
  static {
    ClassLoader.registerAsParallelCapable();
  }

  private final List<Runnable> jarListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  public PluginClassLoader(ClassLoader parent) {
    super("baton-plugins", new URL[0], parent);
  }

  /** Adds one jar; classes in it become loadable at once. */
  public void addJar(Path jar) {
    if (!Files.isRegularFile(jar) || !jar.getFileName().toString().endsWith(".jar")) {
      throw new BatonException(
          "Plugin jar " + jar.toAbsolutePath() + " is not a readable .jar file");
    }
    try {
      addURL(jar.toAbsolutePath().toUri().toURL());
    } catch (MalformedURLException e) {
      throw new BatonException("Plugin jar " + jar + " has no valid URL", e);
    }
    jarListeners.forEach(Runnable::run);
  }

  /** Adds every {@code *.jar} directly inside {@code directory}, in name order. */
  public List<Path> addDirectory(Path directory) {
    if (!Files.isDirectory(directory)) {
      throw new BatonException(
          "Plugin directory "
              + directory.toAbsolutePath()
              + " does not exist or is not a directory");
    }
    List<Path> jars = new ArrayList<>();
    try (Stream<Path> files = Files.list(directory)) {
      files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().forEach(jars::add);
    } catch (IOException e) {
      throw new BatonException("Cannot list plugin directory " + directory.toAbsolutePath(), e);
    }
    jars.forEach(this::addJar);
    return jars;
  }

  /** Runs {@code listener} after every jar added, so that negative caches can be dropped. */
  void onJarAdded(Runnable listener) {
    jarListeners.add(listener);
  }
}
