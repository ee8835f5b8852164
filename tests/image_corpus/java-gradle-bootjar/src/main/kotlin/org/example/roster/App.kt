package org.example.roster

fun main() {}
