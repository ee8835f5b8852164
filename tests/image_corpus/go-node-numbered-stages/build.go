//go:build ignore

// build.go compiles the two programs into bin/linux-amd64/.
package main

import (
	"os"
	"os/exec"
)

func main() {
	for _, name := range []string{"beacon-server", "beacon-cli"} {
		cmd := exec.Command("go", "build", "-o", "bin/linux-amd64/"+name, "./pkg/cmd/"+name)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			os.Exit(1)
		}
	}
}
