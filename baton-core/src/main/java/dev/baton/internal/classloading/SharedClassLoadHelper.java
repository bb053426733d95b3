package dev.baton.internal.classloading;

import java.io.InputStream;
import java.net.URL;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.quartz.Job;
import org.quartz.spi.ClassLoadHelper;

/**
 * Quartz's {@link ClassLoadHelper} backed by the node's one {@link PluginClassLoader}, so that
 * every Quartz thread resolves classes alike. It also answers, cheaply and from a cache, whether
 * this node can run a job class at all — the question capability-aware trigger acquisition asks.
 */
public final class SharedClassLoadHelper implements ClassLoadHelper {
  private final PluginClassLoader loader;
  private final Map<String, Boolean> runnable = new ConcurrentHashMap<>();
  private volatile boolean injectedConstructors;

  public SharedClassLoadHelper(PluginClassLoader loader) {
    this.loader = loader;
    // A new jar can make a missing class loadable; forget only the negative answers.
    loader.onJarAdded(() -> runnable.values().removeIf(ok -> !ok));
  }

  public PluginClassLoader loader() {
    return loader;
  }

  /**
   * Counts job classes that an injecting job factory (Spring's) can build as runnable from now on,
   * not only those with a public no-argument constructor: non-public classes and constructors, and
   * constructors that take arguments, as {@link JobClasses} says.
   */
  public void acceptInjectedConstructors() {
    injectedConstructors = true;
    runnable.values().removeIf(ok -> !ok);
  }

  /** Whether {@link #acceptInjectedConstructors()} was called. */
  public boolean acceptsInjectedConstructors() {
    return injectedConstructors;
  }

  /**
   * True when this node can load {@code className} and its job factory can instantiate it: a
   * concrete {@link Job} with a public no-argument constructor, or, after {@link
   * #acceptInjectedConstructors()}, any constructor the injecting factory can choose ({@link
   * JobClasses}). Positive answers are cached for good; negative ones until a jar is added.
   */
  public boolean canRun(String className) {
    Boolean known = runnable.get(className);
    if (known != null) return known;
    boolean ok = probe(className);
    runnable.put(className, ok);
    return ok;
  }

  private boolean probe(String className) {
    try {
      Class<?> c = Class.forName(className, false, loader);
      return JobClasses.problem(c, injectedConstructors) == null;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  @Override
  public void initialize() {}

  @Override
  public Class<?> loadClass(String name) throws ClassNotFoundException {
    return Class.forName(name, false, loader);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> Class<? extends T> loadClass(String name, Class<T> clazz)
      throws ClassNotFoundException {
    return (Class<? extends T>) loadClass(name);
  }

  @Override
  public URL getResource(String name) {
    return loader.getResource(name);
  }

  @Override
  public InputStream getResourceAsStream(String name) {
    return loader.getResourceAsStream(name);
  }

  @Override
  public ClassLoader getClassLoader() {
    return loader;
  }
}
