#!/bin/sh
exec beacon-server --homepath=/usr/share/beacon "$@"
