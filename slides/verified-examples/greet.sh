#!/bin/sh
# greet NAME...: the tiny "application" of the verified-examples deck
if [ "$#" -eq 0 ]; then
    echo "usage: greet NAME..." >&2
    exit 2
fi
for name in "$@"; do
    echo "Hello, $name!"
done
