module example.com/bench/api

go 1.22
