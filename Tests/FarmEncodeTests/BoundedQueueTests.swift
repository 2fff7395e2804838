import Foundation
import Testing
@testable import FarmEncode

@Suite struct BoundedQueueTests {
    @Test func aFastProducerNeverHoldsMoreThanTheCapacity() {
        let queue = BoundedQueue<Int>(capacity: 2)
        let producer = Thread {
            for value in 0..<100 { queue.push(value) }
            queue.close()
        }
        producer.start()
        var received: [Int] = []
        while let value = queue.pop() { received.append(value) }
        #expect(received == Array(0..<100))
        #expect(queue.peakCount <= 2)
    }

    @Test func closingLetsTheConsumerDrainThenEnds() {
        let queue = BoundedQueue<String>(capacity: 3)
        queue.push("a")
        queue.push("b")
        queue.close()
        #expect(!queue.push("c"))
        #expect(queue.pop() == "a")
        #expect(queue.pop() == "b")
        #expect(queue.pop() == nil)
    }

    @Test func cancellingWakesABlockedProducerAndDropsTheRest() {
        let queue = BoundedQueue<Int>(capacity: 1)
        queue.push(1)
        let finished = DispatchSemaphore(value: 0)
        let producer = Thread {
            let accepted = queue.push(2)
            #expect(!accepted)
            finished.signal()
        }
        producer.start()
        queue.cancel()
        finished.wait()
        #expect(queue.pop() == nil)
    }
}
