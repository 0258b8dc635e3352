// The storage invariants of one stripe, checked by `Cache._checkInvariants()`.
// Compiled only in debug builds or with `CORTADO_INTERNAL_CHECKS` defined, as
// swift-collections does with `COLLECTIONS_INTERNAL_CHECKS`: release builds
// carry none of it.
#if DEBUG || CORTADO_INTERNAL_CHECKS
  extension _Shard {
    /// See `Cache._checkInvariants()`.
    @usableFromInline
    func checkInvariants() {
      func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
        if !condition() { fatalError("Cortado invariant broken: \(message())") }
      }
      // Arena and index.
      var occupied = 0
      var cost = _CostTotal()
      for slot in 0..<fresh where meta[slot].flags & _NodeFlag.occupied != 0 {
        occupied += 1
        let slot32 = Int32(truncatingIfNeeded: slot)
        require(find(pairs[slot].key, hash: meta[slot].hash) == slot32, "slot \(slot) is not found through the index")
        require(
          UInt32(truncatingIfNeeded: pairs[slot].key.hashValue) == meta[slot].hash, "slot \(slot) has a stale hash")
        cost.add(self.cost(of: slot32))
      }
      require(occupied == count, "count \(count) but \(occupied) occupied slots")
      var indexed = 0
      for bucket in 0..<indexSize where index[bucket] != 0 {
        indexed += 1
        let slot = _Shard.slot(inBucket: index[bucket])
        require(isOccupied(Int32(truncatingIfNeeded: slot)), "index bucket \(bucket) points to a free slot")
        require(
          _Shard.bucket(slot: Int32(truncatingIfNeeded: slot), hash: meta[slot].hash) == index[bucket],
          "index bucket \(bucket) has a stale hash fragment")
      }
      require(indexed == count, "index holds \(indexed) entries for count \(count)")
      require(count * 2 <= indexSize, "index load factor above 1/2")
      require(
        indexSize <= Swift.max(_Shard.initialIndexSize, largestIndexSize), "index larger than the stripe can need")
      var free = 0
      var cursor = freeHead
      while cursor >= 0 {
        require(!isOccupied(cursor), "free list holds occupied slot \(cursor)")
        free += 1
        require(free <= fresh, "free list has a cycle")
        cursor = links[Int(cursor)].next
      }
      require(free + count == fresh, "free \(free) + count \(count) != handed-out slots \(fresh)")
      if costs != nil { require(cost == totalCost, "total cost \(totalCost) but entries sum to \(cost)") }

      // Bounds: never observable above the budget.
      require(count <= settings.maximumCount, "count \(count) above maximum \(settings.maximumCount)")
      if costs != nil {
        require(!totalCost.exceeds(settings.maximumCost), "cost \(totalCost) above maximum \(settings.maximumCost)")
      }

      // Policy structures.
      switch settings.policy {
      case .none:
        break
      case .lru, .fifo:
        require(checkList(0) == count - staleCount, "policy list does not hold every live entry")
      case .windowTinyLFU:
        var total = 0
        for region in [_List.window, _List.probation, _List.protected] {
          let members = checkList(region)
          total += members
          var weight = 0
          var cursor = listHeads[region]
          while cursor >= 0 {
            require(self.region(of: cursor) == region, "slot \(cursor) in list \(region) has another region")
            weight += policyWeight(cursor)
            cursor = links[Int(cursor)].next
          }
          require(weight == listWeights[region], "region \(region) weight \(listWeights[region]) but holds \(weight)")
        }
        require(total == count - staleCount, "W-TinyLFU regions hold \(total) of \(count - staleCount) entries")
        require(
          listWeights[_List.protected] <= Swift.max(protectedMaximum, 0)
            || listHeads[_List.protected] == listTails[_List.protected],
          "protected region over its maximum")
        if let problem = sizer.shadow.invariantViolation() { require(false, "shadow LRU: \(problem)") }
        var sampled = 0
        for slot in 0..<fresh
        where meta[slot].flags & (_NodeFlag.occupied | _NodeFlag.stale) == _NodeFlag.occupied
          && _ShadowLRU.spread(meta[slot].hash) < sizer.shadow.sampleLimit
        {
          sampled += 1
        }
        require(
          sampled == sizer.shadow.resident,
          "shadow LRU counts \(sizer.shadow.resident) sampled keys, the stripe holds \(sampled)")
      case .lfu:
        var total = 0
        var bucket = lfu.first
        var previousCount = 0
        while bucket >= 0 {
          let useCount = lfu.counts[Int(bucket)]
          require(useCount > previousCount, "LFU buckets out of order")
          previousCount = useCount
          var member = lfu.heads[Int(bucket)]
          require(member >= 0, "empty LFU bucket kept")
          while member >= 0 {
            require(aux![Int(member)] == bucket, "slot \(member) points to the wrong LFU bucket")
            total += 1
            member = links[Int(member)].next
          }
          bucket = lfu.nexts[Int(bucket)]
        }
        require(total == count - staleCount, "LFU buckets hold \(total) of \(count - staleCount) entries")
      case .random:
        require(
          randomSlots.count == count - staleCount, "random policy tracks \(randomSlots.count) of \(count) entries")
        for (position, slot) in randomSlots.enumerated() {
          require(aux![Int(slot)] == Int32(position), "random policy position of slot \(slot) is stale")
        }
      }

      // Timer wheel.
      if timers == nil {
        for slot in 0..<fresh where meta[slot].flags & _NodeFlag.occupied != 0 {
          require(meta[slot].deadline == _Time.never, "slot \(slot) has a deadline but the shard has no wheel")
        }
      }
      if let timers {
        var scheduled = 0
        var due = 0
        for sentinel in 0..<_Wheel.sentinelCount {
          var link = Int(timers[sentinel].next)
          var previous = sentinel
          var lastDeadline = Int64.min
          while link != sentinel {
            require(link >= _Wheel.sentinelCount, "wheel list \(sentinel) links to another sentinel")
            require(Int(timers[link].prev) == previous, "wheel list \(sentinel) has a broken back link")
            let slot = Int32(truncatingIfNeeded: link - _Wheel.sentinelCount)
            require(isOccupied(slot), "wheel holds free slot \(slot)")
            let deadline = deadline(ofLink: link)
            require(deadline != _Time.never, "slot \(slot) scheduled with no deadline")
            if sentinel == _Wheel.due {
              require(deadline <= wheelTime, "slot \(slot) on the due list before its deadline")
              if !isStale(link: link) { due += 1 }
            } else {
              require(
                wheelBucket(for: deadline) == sentinel,
                "slot \(slot) in bucket \(sentinel), belongs in \(wheelBucket(for: deadline))")
              if sentinel < 64 && sortedBuckets & (1 << UInt64(sentinel)) != 0 {
                require(deadline >= lastDeadline, "bucket \(sentinel) marked sorted but is not")
              }
            }
            lastDeadline = deadline
            scheduled += 1
            previous = link
            link = Int(timers[link].next)
          }
          require(Int(timers[sentinel].prev) == previous, "wheel list \(sentinel) has a broken tail")
        }
        require(due == dueCount, "due list holds \(due) live-expired entries but dueCount is \(dueCount)")
        require(checkList(3) == staleCount, "stale list does not hold the \(staleCount) stale entries")
        var withDeadline = 0
        for slot in 0..<fresh where meta[slot].flags & _NodeFlag.occupied != 0 {
          let link = _Shard.link(Int32(truncatingIfNeeded: slot))
          if meta[slot].deadline != _Time.never {
            withDeadline += 1
            require(timers[link].prev >= 0, "slot \(slot) has a deadline but is not scheduled")
          } else {
            require(timers[link].prev < 0, "slot \(slot) without deadline is scheduled")
          }
          if let freshness, meta[slot].flags & _NodeFlag.stale == 0 {
            require(meta[slot].deadline <= freshness[slot].hardDeadline, "slot \(slot) outlives its time to live")
          }
        }
        require(withDeadline == scheduled, "\(withDeadline) deadlines but \(scheduled) scheduled nodes")
      }
    }

    /// Walks list `list`, checking its links; returns its length.
    func checkList(_ list: Int) -> Int {
      var length = 0
      var previous: Int32 = -1
      var cursor = listHeads[list]
      while cursor >= 0 {
        if !isOccupied(cursor) { fatalError("Cortado invariant broken: list \(list) holds free slot \(cursor)") }
        if links[Int(cursor)].prev != previous {
          fatalError("Cortado invariant broken: list \(list) back link at \(cursor)")
        }
        length += 1
        if length > count { fatalError("Cortado invariant broken: list \(list) has a cycle") }
        previous = cursor
        cursor = links[Int(cursor)].next
      }
      if listTails[list] != previous { fatalError("Cortado invariant broken: list \(list) tail") }
      return length
    }
  }
#endif
