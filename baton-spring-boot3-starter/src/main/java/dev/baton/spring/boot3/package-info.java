/** Spring Boot 3 auto-configuration of Baton; see {@link dev.baton.spring.boot3.BatonAutoConfiguration}. */
package dev.baton.spring.boot3;
