module example.org/signal

go 1.22
