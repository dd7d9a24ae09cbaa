module chanfuzz/scenarios/go

go 1.19
