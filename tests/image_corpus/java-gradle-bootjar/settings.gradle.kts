rootProject.name = "roster"
