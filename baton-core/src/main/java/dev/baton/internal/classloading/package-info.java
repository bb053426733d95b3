/**
 * Internal, not API: one shared, dynamic class loader (plugin jars added at run time) that every
 * Quartz thread and every registration uses, and the one rule for which job classes are runnable.
 */
package dev.baton.internal.classloading;
