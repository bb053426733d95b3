/**
 * Spring Boot auto-configuration of Baton, the same package in the Boot 3.5 and the Boot 4.0
 * starter; see {@link dev.baton.spring.boot.BatonAutoConfiguration}. Both starters compile the
 * classes of {@code baton-spring/src/starter-main}; each adds its own copy of the few that use a
 * Boot type whose package moved between the two lines ({@code BatonHealthIndicator}, {@code
 * BatonHealthConfiguration}, {@code BatonQuartzConfiguration}, {@code BootAutoConfigurations}).
 */
package dev.baton.spring.boot;
