package dev.baton.internal;

import java.lang.reflect.Method;
import java.util.concurrent.ThreadFactory;

/**
 * Java 21's virtual threads, reached by reflection so that Baton's bytecode stays Java 17: on an
 * older JVM {@link #available()} is false and nothing else here is called.
 */
public final class VirtualThreads {
  private static final Method OF_VIRTUAL = find();

  private VirtualThreads() {}

  private static Method find() {
    try {
      return Thread.class.getMethod("ofVirtual");
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  /** Whether this JVM has virtual threads (Java 21 or later). */
  public static boolean available() {
    return OF_VIRTUAL != null;
  }

  /** A factory of virtual threads named {@code prefix0}, {@code prefix1}, … */
  static ThreadFactory factory(String prefix) {
    if (OF_VIRTUAL == null) {
      throw new IllegalStateException(
          "Java " + Runtime.version().feature() + " has no virtual threads; they need Java 21+");
    }
    try {
      Object builder = OF_VIRTUAL.invoke(null);
      Class<?> type = Class.forName("java.lang.Thread$Builder");
      builder = type.getMethod("name", String.class, long.class).invoke(builder, prefix, 0L);
      return (ThreadFactory) type.getMethod("factory").invoke(builder);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Could not make virtual threads: " + e, e);
    }
  }
}
