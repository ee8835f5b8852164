module example.org/quill

go 1.22
