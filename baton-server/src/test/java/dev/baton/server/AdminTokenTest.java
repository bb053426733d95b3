package dev.baton.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin token: generated once, owner-only, reused; an explicit one wins. */
class AdminTokenTest {
  @TempDir Path dir;

  @Test
  void generatedOnceIntoAnOwnerOnlyFileAndReused() throws Exception {
    AdminToken first = AdminToken.resolve(null, dir.resolve("data"));
    assertThat(first.source()).isEqualTo(AdminToken.Source.GENERATED);
    Path file = dir.resolve("data").resolve("admin-token");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(first.reveal()).hasSizeGreaterThanOrEqualTo(40);
    AdminToken again = AdminToken.resolve(null, dir.resolve("data"));
    assertThat(again.source()).isEqualTo(AdminToken.Source.FILE);
    assertThat(again.matches(first.reveal())).isTrue();
    assertThat(again.matches(first.reveal() + "x")).isFalse();
    assertThat(again.matches(null)).isFalse();
    assertThat(again.toString()).doesNotContain(first.reveal());
  }

  @Test
  void environmentTokenWinsAndShortOnesAreRefused() throws Exception {
    AdminToken env = AdminToken.resolve("from-the-environment-123", dir);
    assertThat(env.source()).isEqualTo(AdminToken.Source.ENVIRONMENT);
    assertThat(Files.exists(dir.resolve("admin-token"))).isFalse();
    assertThatThrownBy(() -> AdminToken.resolve("short", dir)).hasMessageContaining("at least 16");
  }
}
