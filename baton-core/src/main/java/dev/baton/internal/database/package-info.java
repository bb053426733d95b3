/**
 * Internal, not API: the database a node runs on: its dialect (detected once), the schema
 * migrations, the connection provider Quartz gets its connections from, and the database clock.
 */
package dev.baton.internal.database;
