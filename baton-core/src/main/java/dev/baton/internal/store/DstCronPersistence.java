package dev.baton.internal.store;

import dev.baton.internal.cron.DstCronScheduleBuilder;
import dev.baton.internal.cron.DstCronTrigger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.TimeZone;
import org.quartz.CronTrigger;
import org.quartz.TriggerKey;
import org.quartz.impl.jdbcjobstore.CronTriggerPersistenceDelegate;
import org.quartz.impl.jdbcjobstore.NoRecordFoundException;

/**
 * Quartz's cron rows ({@code CRON_TRIGGERS}: expression and time zone id), written as Quartz writes
 * them and read back as {@link DstCronTrigger}s, so that every node, whichever path reads the
 * trigger (acquisition, firing, misfire handling, recovery, the Quartz API), computes its fire
 * times under the DST policy stored in the trigger's own data. Nothing in the schema changes.
 */
final class DstCronPersistence extends CronTriggerPersistenceDelegate {
  @Override
  public TriggerPropertyBundle loadExtendedTriggerPropertiesFromResultSet(
      ResultSet rs, TriggerKey key) throws SQLException {
    String expression = rs.getString(COL_CRON_EXPRESSION);
    String zone = rs.getString(COL_TIME_ZONE_ID);
    if (expression == null && zone == null) {
      throw new NoRecordFoundException(key, schedNameLiteral, getClass());
    }
    // The misfire instruction is the trigger row's; the caller sets it after building.
    return new TriggerPropertyBundle(
        new DstCronScheduleBuilder(
            expression,
            zone == null ? null : TimeZone.getTimeZone(zone),
            CronTrigger.MISFIRE_INSTRUCTION_SMART_POLICY),
        null,
        null);
  }
}
