#!/bin/sh
exec java $JAVA_OPTS -jar /opt/invoice/app.jar "$@"
