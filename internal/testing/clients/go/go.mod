module github.com/advologix/advologix-connect/internal/testing/clients/go

go 1.24

require github.com/simpleforce/simpleforce v0.0.0-20220429021116-acf4ac67ef68

require github.com/pkg/errors v0.9.1 // indirect
