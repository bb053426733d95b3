package dev.baton.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot + Quartz application written the way spring-boot-starter-quartz users write it:
 * {@code JobDetail} and {@code Trigger} beans, a {@code QuartzJobBean}, a constructor-injected job,
 * a package-private constructor-injected {@code QuartzJobBean}, the JDBC job store. Built once with
 * stock Spring Quartz and once with a Baton starter added; the sources and {@code
 * application.properties} are the same.
 */
@SpringBootApplication
public class SampleApplication {
  public static void main(String[] args) {
    SpringApplication.run(SampleApplication.class, args);
  }
}
