package dev.baton.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The admin API's bearer token: from {@code BATON_ADMIN_TOKEN}, or generated at first start into
 * {@code <data-dir>/admin-token} (owner read/write only) and reused afterwards. Never logged.
 */
public final class AdminToken {
  static final String FILE_NAME = "admin-token";
  private static final int MIN_LENGTH = 16;

  private final byte[] value;
  private final Source source;
  private final Path file;

  /** Where the token came from, so the node can say so once at start. */
  public enum Source {
    ENVIRONMENT,
    FILE,
    GENERATED
  }

  private AdminToken(String value, Source source, Path file) {
    this.value = value.getBytes(StandardCharsets.UTF_8);
    this.source = source;
    this.file = file;
  }

  /**
   * The given token if not null, else the one in the data directory, else a new one written there.
   *
   * @throws IllegalArgumentException if a given or stored token is shorter than 16 characters
   */
  public static AdminToken resolve(String given, Path dataDir) throws IOException {
    if (given != null) return given(given, "BATON_ADMIN_TOKEN");
    Path file = dataDir.resolve(FILE_NAME);
    if (Files.exists(file)) {
      return new AdminToken(
          check(Files.readString(file).trim(), file.toString()), Source.FILE, file);
    }
    Files.createDirectories(dataDir);
    String token = generate();
    try {
      // Created with owner-only permissions, so the token is never readable by others, even
      // briefly.
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    } catch (FileAlreadyExistsException e) {
      return resolve(null, dataDir);
    }
    Files.writeString(
        file, token + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    return new AdminToken(token, Source.GENERATED, file);
  }

  /**
   * A token given by configuration; {@code origin} names where it was set (a property, a variable),
   * for the message.
   *
   * @throws IllegalArgumentException if it is shorter than 16 characters
   */
  public static AdminToken given(String token, String origin) {
    return new AdminToken(check(token, origin), Source.ENVIRONMENT, null);
  }

  /** A new random token: 32 bytes, URL-safe Base64. */
  public static String generate() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String check(String token, String origin) {
    if (token.length() < MIN_LENGTH) {
      throw new IllegalArgumentException(
          "the admin token from "
              + origin
              + " has "
              + token.length()
              + " characters; give at least "
              + MIN_LENGTH);
    }
    return token;
  }

  /** Constant-time comparison, so response timing does not reveal how much of a guess was right. */
  public boolean matches(String candidate) {
    if (candidate == null) return false;
    return MessageDigest.isEqual(value, candidate.getBytes(StandardCharsets.UTF_8));
  }

  public Source source() {
    return source;
  }

  /** The file it was read from or written to; null when it came from the environment. */
  public Path file() {
    return file;
  }

  /** The token itself, for printing once at generation and for the local cluster's children. */
  public String reveal() {
    return new String(value, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "AdminToken[" + source + "]";
  }
}
