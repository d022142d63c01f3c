/**
 * Actor tasks: a saved configuration of an actor (its input and run options) that a user starts by the task's id
 * or {@code username~name}. {@link io.actord.daemon.task.TaskService} keeps them and starts their runs, whose
 * options and input it lays over the actor's defaults and under the start request's own.
 */
package io.actord.daemon.task;
