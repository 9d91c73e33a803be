module github.com/advologix/advologix-connect

go 1.24.0
