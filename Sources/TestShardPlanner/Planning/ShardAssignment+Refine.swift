extension ShardAssignment {
    /// A bounded local search for few, chunky items where LPT can miss the bound by a few
    /// percent: repeatedly take the fullest shard and make the single move (one of its items to
    /// another shard) or swap (one of its items for a smaller one of another shard) that lowers
    /// the larger of the two shards' loads the most. Stops when no move or swap helps, or after
    /// `maxRounds`. Deterministic: candidates are tried in a fixed order and only a strictly
    /// better one replaces the current choice. A shard is never emptied.
    mutating func refine(units: [PlanUnit], maxRounds: Int, precedes: (PlanUnit, PlanUnit) -> Bool) {
        // Shortest first inside each shard, for the binary searches; ties in reverse LPT order.
        let ascending: (Int, Int) -> Bool = { a, b in precedes(units[b], units[a]) }
        for shard in members.indices { members[shard].sort(by: ascending) }

        // Index of the first member of `shard` whose seconds are ≥ `value`.
        func firstAtLeast(_ value: Double, in shard: Int) -> Int {
            var low = 0
            var high = members[shard].count
            while low < high {
                let mid = (low + high) / 2
                if units[members[shard][mid]].seconds < value { low = mid + 1 } else { high = mid }
            }
            return low
        }

        enum Step {
            case move(from: Int, position: Int, to: Int)
            case swap(from: Int, position: Int, with: Int, otherPosition: Int)
        }

        for _ in 0..<maxRounds {
            var top = 0
            for shard in loads.indices where loads[shard] > loads[top] { top = shard }
            let topLoad = loads[top]
            // Only a real drop counts, so rounding noise cannot make the search cycle.
            var bestMax = topLoad - topLoad * 1e-12
            var chosen: Step?
            for other in loads.indices where other != top {
                let gap = topLoad - loads[other]
                if gap <= topLoad * 1e-12 { continue }
                let half = gap / 2
                // Moving x lowers the pair's max to max(top - x, other + x); best near x = gap / 2.
                if members[top].count > 1 {
                    let near = firstAtLeast(half, in: top)
                    for position in [near - 1, near] where position >= 0 && position < members[top].count {
                        let x = units[members[top][position]].seconds
                        guard x > 0, x < gap else { continue }
                        let pairMax = max(topLoad - x, loads[other] + x)
                        if pairMax < bestMax {
                            bestMax = pairMax
                            chosen = .move(from: top, position: position, to: other)
                        }
                    }
                }
                // Swapping x for a smaller y moves d = x - y; best near d = gap / 2.
                if !members[other].isEmpty {
                    for position in members[top].indices {
                        let x = units[members[top][position]].seconds
                        let near = firstAtLeast(x - half, in: other)
                        for otherPosition in [near - 1, near]
                        where otherPosition >= 0 && otherPosition < members[other].count {
                            let d = x - units[members[other][otherPosition]].seconds
                            guard d > 0, d < gap else { continue }
                            let pairMax = max(topLoad - d, loads[other] + d)
                            if pairMax < bestMax {
                                bestMax = pairMax
                                chosen = .swap(from: top, position: position, with: other, otherPosition: otherPosition)
                            }
                        }
                    }
                }
            }
            guard let step = chosen else { return }
            switch step {
            case .move(let from, let position, let to):
                let unit = members[from].remove(at: position)
                insert(unit, into: to, units: units, ascending: ascending)
                recomputeLoad(of: from, units: units)
                recomputeLoad(of: to, units: units)
            case .swap(let from, let position, let with, let otherPosition):
                let unit = members[from].remove(at: position)
                let otherUnit = members[with].remove(at: otherPosition)
                insert(unit, into: with, units: units, ascending: ascending)
                insert(otherUnit, into: from, units: units, ascending: ascending)
                recomputeLoad(of: from, units: units)
                recomputeLoad(of: with, units: units)
            }
        }
    }

    private mutating func insert(_ unit: Int, into shard: Int, units: [PlanUnit], ascending: (Int, Int) -> Bool) {
        let position = members[shard].firstIndex { !ascending($0, unit) } ?? members[shard].count
        members[shard].insert(unit, at: position)
    }

    private mutating func recomputeLoad(of shard: Int, units: [PlanUnit]) {
        loads[shard] = members[shard].reduce(0) { $0 + units[$1].seconds }
    }
}
