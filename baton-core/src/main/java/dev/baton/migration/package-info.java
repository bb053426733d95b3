/**
 * Moving from stock Quartz: {@link dev.baton.migration.QuartzDataMigration} lists and converts the
 * serialized job data stock Quartz stored, without ever running the code of a class in it.
 */
package dev.baton.migration;
