/**
 * Spring Framework glue for Baton, shared by the Spring Boot starters: {@link
 * dev.baton.spring.BatonSchedulerFactory} (Baton behind Spring's {@code SchedulerFactoryBean}),
 * {@link dev.baton.spring.BatonLifecycle} (drain before the web server stops), {@link
 * dev.baton.spring.BatonNodeFactory} (settings from {@code baton.*} and {@code spring.quartz.*}).
 */
package dev.baton.spring;
