#!/bin/sh
# The sample actor: reads INPUT ({"name": "..."}), greets on stdout and writes the greeting to OUTPUT.
# Until the in-run API (issue #6) gives runs their key-value store over HTTP, the daemon places INPUT
# as a file in $ACTORD_KV_DIR and stores the files a run leaves there (OUTPUT) as records.
name=world
if [ -f "$ACTORD_KV_DIR/INPUT" ]; then
  found=$(sed -n 's/.*"name"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$ACTORD_KV_DIR/INPUT" | head -n 1)
  [ -n "$found" ] && name=$found
fi
echo "Hello, $name!"
printf '{"greeting":"Hello, %s!"}\n' "$name" > "$ACTORD_KV_DIR/OUTPUT"
