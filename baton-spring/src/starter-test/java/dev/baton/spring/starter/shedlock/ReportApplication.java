package dev.baton.spring.starter.shedlock;

import net.javacrumbs.shedlock.spring.annotation.EnableSchedulerLock;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A ShedLock application as its users write it, minus the {@code LockProvider} bean: the Baton
 * starter and {@code baton-shedlock} on the class path provide it.
 */
@SpringBootApplication
@EnableScheduling
@EnableSchedulerLock(defaultLockAtMostFor = "PT30S")
public class ReportApplication {}
