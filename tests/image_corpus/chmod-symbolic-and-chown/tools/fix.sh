#!/bin/sh
echo fix
