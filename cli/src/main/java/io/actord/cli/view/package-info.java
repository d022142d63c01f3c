/**
 * The daemon's JSON (Apify's Actor, Build and Run shapes, apify-api.md §4) as tables and details. Views read
 * JSON trees field by field, so a field the daemon adds or drops changes a cell, never a crash.
 */
package io.actord.cli.view;
