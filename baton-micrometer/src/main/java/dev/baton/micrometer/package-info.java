/**
 * Micrometer meters for applications embedding Baton: bind a {@link
 * dev.baton.micrometer.BatonMetrics} to the application's {@code MeterRegistry}.
 */
package dev.baton.micrometer;
