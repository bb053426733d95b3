package dev.baton.migration;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An application's own job data value, as stock Quartz serializes it. Records whether
 * deserialization ever ran its code: Baton's filter must refuse it before that.
 */
public final class CustomValue implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Set when an instance is read from a stream (readObject) or resolved (readResolve). */
  static final AtomicBoolean DESERIALIZED = new AtomicBoolean();

  final String text;

  CustomValue(String text) {
    this.text = text;
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    DESERIALIZED.set(true);
    in.defaultReadObject();
  }

  private Object readResolve() {
    DESERIALIZED.set(true);
    return this;
  }
}
