/// Which units each shard holds, and the shards' loads, while a plan is being built.
struct ShardAssignment {
    /// Unit indices per shard.
    var members: [[Int]]
    /// Sum of each shard's unit seconds.
    var loads: [Double]

    var makespan: Double { loads.max() ?? 0 }

    /// LPT: each unit (already longest first) goes to the shard with the least load, then the
    /// fewest items, then the lowest index. The item count matters for zero-weight units: without
    /// it they would all land on shard 0 and leave other shards empty.
    static func longestFirst(_ units: [PlanUnit], shardCount: Int) -> ShardAssignment {
        var members = [[Int]](repeating: [], count: shardCount)
        var loads = [Double](repeating: 0, count: shardCount)
        var counts = [Int](repeating: 0, count: shardCount)
        // A binary min-heap of shard indices; only the root ever changes, so one sift-down per unit.
        var heap = Array(0..<shardCount)
        func less(_ a: Int, _ b: Int) -> Bool {
            if loads[a] != loads[b] { return loads[a] < loads[b] }
            if counts[a] != counts[b] { return counts[a] < counts[b] }
            return a < b
        }
        for (index, unit) in units.enumerated() {
            let shard = heap[0]
            members[shard].append(index)
            loads[shard] += unit.seconds
            counts[shard] += 1
            var parent = 0
            while true {
                let left = 2 * parent + 1
                if left >= shardCount { break }
                let right = left + 1
                let child = right < shardCount && less(heap[right], heap[left]) ? right : left
                if less(heap[child], heap[parent]) {
                    heap.swapAt(child, parent)
                    parent = child
                } else {
                    break
                }
            }
        }
        return ShardAssignment(members: members, loads: loads)
    }
}
