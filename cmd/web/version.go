package main

import (
	"fmt"
	"io"
	"runtime/debug"

	"gloss/handlers"
)

// buildVersion reads the module version and the VCS stamp Go puts in every
// binary built from a checkout (go build, go install; not go run or test
// binaries, whose module version is "(devel)" without a commit).
func buildVersion() handlers.Version {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return handlers.Version{Module: "(devel)"}
	}
	return versionOf(info)
}

// versionOf reads a build info's version and VCS stamp.
func versionOf(info *debug.BuildInfo) handlers.Version {
	v := handlers.Version{Module: "(devel)"}
	v.Go = info.GoVersion
	if info.Main.Version != "" {
		v.Module = info.Main.Version
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Commit = s.Value
		case "vcs.time":
			v.Time = s.Value
		case "vcs.modified":
			v.Dirty = s.Value == "true"
		}
	}
	return v
}

// versionCommand prints the build's version, one fact a line.
func versionCommand(out io.Writer) error {
	v := buildVersion()
	fmt.Fprintf(out, "gloss %s\n", v.Module)
	if v.Commit != "" {
		dirty := ""
		if v.Dirty {
			dirty = " (modified)"
		}
		fmt.Fprintf(out, "commit %s%s\n", v.Commit, dirty)
	}
	if v.Time != "" {
		fmt.Fprintf(out, "committed %s\n", v.Time)
	}
	fmt.Fprintf(out, "built with %s\n", v.Go)
	return nil
}
