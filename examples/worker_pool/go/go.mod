module workerpool

go 1.19
