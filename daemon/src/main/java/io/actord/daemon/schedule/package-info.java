/**
 * Schedules: cron expressions in a time zone that start actor (or task) runs with origin SCHEDULER. The
 * {@link io.actord.daemon.schedule.ScheduleService} keeps the records; the {@link io.actord.daemon.schedule.Scheduler}
 * fires them, storing each fire before it acts and each run with the fire that started it, so a fire is done
 * exactly once across crashes and restarts; {@link io.actord.daemon.schedule.ScheduleTargets} is how a fire
 * starts a run.
 */
package io.actord.daemon.schedule;
