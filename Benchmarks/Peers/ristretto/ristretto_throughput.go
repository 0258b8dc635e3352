// Ristretto's throughput on exactly the work `cortado bench` measures, as
// CaffeineThroughput.java does for Caffeine: the same key streams (the files
// `cortado bench --write-keys DIR` writes, checked against their checksums),
// the same bound and lifetime, the same warm cache, the same loops (read:
// 100% gets; mixed: every tenth operation a set) and a fresh cache per round.
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go run ristretto_throughput.go KEYS_DIR \
//	    [--workloads read,mixed] [--threads 1,2] [--warmup SECONDS] [--duration SECONDS] [--rounds N]
//
// Prints JSON in CaffeineThroughput's shape: per cell, every round's
// operations per second and CPU nanoseconds per operation (summed over the
// worker threads; each worker is locked to its OS thread and reads that
// thread's own CPU time). The cache is configured as Ristretto's README
// advises: 10 counters per entry, a cost of 1 per entry and MaxCost the
// bound, 64 items per Get buffer, every set with the 60 s lifetime. Its sets
// are asynchronous and may be dropped (a full set buffer, or admission), so
// the hit ratio is printed beside the rate: a peer that keeps fewer keys does
// less work. Keys and values are boxed once before the rounds, so the loop
// measures the cache, not Go's boxing of an int64 into an interface.
package main

import (
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"math/bits"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/dgraph-io/ristretto"
)

// Operations between two looks at the clock, as in cortado bench.
const chunk = 512

// RUSAGE_THREAD: the calling thread's own CPU time (Linux).
const rusageThread = 1

// How long the warmed cache is left for its set buffer to drain: Debian's
// Ristretto (0.0.3) has no Wait, and its buffer goroutine applies a full
// buffer in a few milliseconds.
const settle = 200 * time.Millisecond

type manifest struct {
	Capacity          int64     `json:"capacity"`
	TimeToLiveSeconds float64   `json:"timeToLiveSeconds"`
	WarmUpLength      int       `json:"warmUpLength"`
	Read              []keyFile `json:"read"`
	Wide              []keyFile `json:"wide"`
}

type keyFile struct {
	File     string `json:"file"`
	Checksum string `json:"checksum"`
}

type cell struct {
	Workload   string    `json:"workload"`
	Threads    int       `json:"threads"`
	HitRatio   float64   `json:"hitRatio"`
	Rounds     []float64 `json:"rounds"`
	CPUNsPerOp []float64 `json:"cpuNsPerOp"`
}

var (
	config     manifest
	readKeys   [][]interface{}
	wideKeys   [][]interface{}
	timeToLive time.Duration
)

func main() {
	if len(os.Args) < 2 || strings.HasPrefix(os.Args[1], "-") {
		fmt.Fprintln(os.Stderr, "usage: ristretto_throughput KEYS_DIR [--workloads read,mixed] [--threads 1,2]"+
			" [--warmup SECONDS] [--duration SECONDS] [--rounds N]")
		os.Exit(2)
	}
	directory := os.Args[1]
	flags := flag.NewFlagSet("ristretto_throughput", flag.ExitOnError)
	workloads := flags.String("workloads", "read,mixed", "read and/or mixed")
	threadList := flags.String("threads", "1,2", "thread counts")
	warmup := flags.Float64("warmup", 4, "seconds each cell runs before the rounds")
	duration := flags.Float64("duration", 1, "seconds per round")
	rounds := flags.Int("rounds", 5, "rounds per cell")
	flags.Parse(os.Args[2:])

	text, err := os.ReadFile(filepath.Join(directory, "keys.json"))
	check(err)
	check(json.Unmarshal(text, &config))
	timeToLive = time.Duration(config.TimeToLiveSeconds * 1e9)
	readKeys = load(directory, config.Read)
	wideKeys = load(directory, config.Wide)

	var cells []cell
	for _, workload := range strings.Split(*workloads, ",") {
		if workload != "read" && workload != "mixed" {
			fail("workload must be read or mixed: " + workload)
		}
		for _, field := range strings.Split(*threadList, ",") {
			threads, err := strconv.Atoi(field)
			check(err)
			if threads < 1 || threads > len(readKeys) {
				fail(fmt.Sprintf("the key files hold %d threads' streams", len(readKeys)))
			}
			cells = append(cells, cell{Workload: workload, Threads: threads})
		}
	}
	for _, c := range cells {
		run(c.Workload, c.Threads, *warmup)
	}
	for round := 0; round < *rounds; round++ {
		for i := range cells {
			rate, cpu, hitRatio := run(cells[i].Workload, cells[i].Threads, *duration)
			cells[i].Rounds = append(cells[i].Rounds, rate)
			cells[i].CPUNsPerOp = append(cells[i].CPUNsPerOp, cpu)
			cells[i].HitRatio = hitRatio
		}
	}
	out, err := json.Marshal(map[string]interface{}{
		"peer": "ristretto", "go": runtime.Version(), "cells": cells,
	})
	check(err)
	fmt.Println(string(out))
}

// newCache builds the cache as Ristretto's README advises for a bound of
// `capacity` entries of cost 1.
func newCache() *ristretto.Cache {
	cache, err := ristretto.NewCache(&ristretto.Config{
		NumCounters: 10 * config.Capacity,
		MaxCost:     config.Capacity,
		BufferItems: 64,
	})
	check(err)
	return cache
}

// run measures one cell on a fresh, warmed cache: ops/s, CPU ns/op, hit ratio.
func run(workload string, threads int, seconds float64) (float64, float64, float64) {
	cache := newCache()
	defer cache.Close()
	streams := readKeys
	if workload == "mixed" {
		streams = wideKeys
	}
	warm(cache, streams)
	type result struct{ operations, cpuNanos, gets, hits int64 }
	results := make([]result, threads)
	ends := make([]time.Time, threads)
	var ready, start sync.WaitGroup
	ready.Add(threads)
	start.Add(1)
	var begin, deadline time.Time
	var done sync.WaitGroup
	done.Add(threads)
	for t := 0; t < threads; t++ {
		go func(t int) {
			defer done.Done()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			ready.Done()
			start.Wait()
			cpuStart := threadCPU()
			operations, gets, hits, end := work(cache, workload == "mixed", streams[t], deadline)
			results[t] = result{operations, threadCPU() - cpuStart, gets, hits}
			ends[t] = end
		}(t)
	}
	// Thread start-up is not timed: the window opens when every worker waits.
	ready.Wait()
	begin = time.Now()
	deadline = begin.Add(time.Duration(seconds * 1e9))
	start.Done()
	done.Wait()
	var operations, cpuNanos, gets, hits int64
	end := begin
	for t := 0; t < threads; t++ {
		operations += results[t].operations
		cpuNanos += results[t].cpuNanos
		gets += results[t].gets
		hits += results[t].hits
		if ends[t].After(end) {
			end = ends[t]
		}
	}
	hitRatio := 0.0
	if gets > 0 {
		hitRatio = float64(hits) / float64(gets)
	}
	return float64(operations) / end.Sub(begin).Seconds(), float64(cpuNanos) / float64(operations), hitRatio
}

// work is one thread's loop: operations, gets, hits and when it stopped.
func work(cache *ristretto.Cache, mixed bool, keys []interface{}, deadline time.Time) (int64, int64, int64, time.Time) {
	mask := len(keys) - 1
	index := 0
	var operations, gets, hits int64
	var now time.Time
	for {
		if mixed {
			untilSet := 9 - index%10
			for i := 0; i < chunk; i++ {
				key := keys[index&mask]
				if untilSet == 0 {
					cache.SetWithTTL(key, key, 1, timeToLive)
					untilSet = 9
				} else {
					if _, found := cache.Get(key); found {
						hits++
					}
					gets++
					untilSet--
				}
				index++
			}
		} else {
			for i := 0; i < chunk; i++ {
				if _, found := cache.Get(keys[index&mask]); found {
					hits++
				}
				index++
			}
			gets += chunk
		}
		operations += chunk
		now = time.Now()
		if !now.Before(deadline) {
			return operations, gets, hits, now
		}
	}
}

// warm fills the cache as cortado bench does: keys 0..<capacity coldest
// first, then the head of every thread's stream read through. A set the full
// buffer refused is offered again, so that warming is not cut short by the
// buffer (admission may still refuse keys, as it would in use); then the
// buffer is given time to drain (this version has no Wait).
func warm(cache *ristretto.Cache, streams [][]interface{}) {
	set := func(key interface{}) {
		for !cache.SetWithTTL(key, key, 1, timeToLive) {
			runtime.Gosched()
		}
	}
	for key := config.Capacity - 1; key >= 0; key-- {
		set(key)
	}
	for _, stream := range streams {
		for i := 0; i < config.WarmUpLength && i < len(stream); i++ {
			if _, found := cache.Get(stream[i]); !found {
				set(stream[i])
			}
		}
	}
	time.Sleep(settle)
}

// load reads the streams of one kind, refusing any whose FNV-1a checksum or
// power-of-two length differs from keys.json.
func load(directory string, files []keyFile) [][]interface{} {
	if len(files) == 0 {
		fail("keys.json lists no streams")
	}
	var streams [][]interface{}
	for _, file := range files {
		data, err := os.ReadFile(filepath.Join(directory, file.File))
		check(err)
		count := len(data) / 8
		keys := make([]interface{}, count)
		hash := uint64(0xcbf29ce484222325)
		for i := 0; i < count; i++ {
			key := binary.LittleEndian.Uint64(data[8*i:])
			hash = (hash ^ key) * 0x100000001b3
			keys[i] = int64(key)
		}
		if strconv.FormatUint(hash, 10) != file.Checksum || bits.OnesCount(uint(count)) != 1 {
			fail(file.File + ": checksum or length differs from keys.json; rewrite the keys")
		}
		streams = append(streams, keys)
	}
	return streams
}

// threadCPU is the calling OS thread's user and system time, in nanoseconds.
func threadCPU() int64 {
	var usage syscall.Rusage
	check(syscall.Getrusage(rusageThread, &usage))
	return usage.Utime.Nano() + usage.Stime.Nano()
}

func check(err error) {
	if err != nil {
		fail(err.Error())
	}
}

func fail(message string) {
	fmt.Fprintln(os.Stderr, "error: "+message)
	os.Exit(1)
}
