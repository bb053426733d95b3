/** Spring Boot 4 auto-configuration of Baton; see {@link dev.baton.spring.boot4.BatonAutoConfiguration}. */
package dev.baton.spring.boot4;
