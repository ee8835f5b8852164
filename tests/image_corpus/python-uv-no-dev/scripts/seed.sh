#!/bin/sh
echo seeding
