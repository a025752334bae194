module example.com/board

go 1.25.0
