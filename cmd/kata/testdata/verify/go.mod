module example.com/verify

go 1.25.0
