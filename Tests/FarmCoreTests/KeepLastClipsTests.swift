import FarmCore
import Testing

@Suite("keep_last_n_clips")
struct KeepLastClipsTests {
    @Test("Per-prefix file names and numbering", arguments: [
        ("viewport", 0, "viewport_0000.mp4"), ("wrist", 12, "wrist_0012.mp4"), ("clip", 12345, "clip_12345.mp4"),
    ])
    func fileNames(_ prefix: String, _ index: Int, _ name: String) {
        #expect(IsaacLabClipNaming.fileName(prefix: prefix, index: index) == name)
        #expect(IsaacLabClipNaming.clipIndex(ofFileName: name, prefix: prefix) == index)
    }

    @Test func numberingContinuesPerPrefix() {
        let names = ["viewport_0003.mp4", "wrist_0000.mp4", "clip_0009.mp4", "viewport_wrist_0007.mp4"]
        #expect(IsaacLabClipNaming.nextClipIndex(prefix: "viewport", existingFileNames: names) == 4)
        #expect(IsaacLabClipNaming.nextClipIndex(prefix: "wrist", existingFileNames: names) == 1)
        #expect(IsaacLabClipNaming.nextClipIndex(prefix: "viewport_wrist", existingFileNames: names) == 8)
        #expect(IsaacLabClipNaming.nextClipIndex(prefix: "depth", existingFileNames: names) == 0)
    }

    /// Isaac Lab deletes index < (just written + 1 − N); the farm measures from the newest present.
    @Test("What a folder's newest clip supersedes", arguments: [
        // keep, files present, superseded (deleted), kept clip indices that may still be filed
        (2, ["v_0000.mp4", "v_0001.mp4", "v_0002.mp4"], ["v_0000.mp4"], [1, 2, 3]),
        (1, ["v_0000.mp4", "v_0005.mp4", "w_0000.mp4"], ["v_0000.mp4"], [5, 6]),
        (3, ["v_0000.mp4", "v_0001.mp4"], [], [0, 1, 2]),
        (2, ["v_0009.mp4", "v_0003.mp4", "v_0008.mp4", "v_0007.mp4"], ["v_0003.mp4", "v_0007.mp4"], [8, 9]),
        (2, [], [], [0]),
        (2, [".v_0009.mp4.tag.part", "v_0001.mp4", "notes.txt"], [], [0, 1]),
    ])
    func superseded(_ keep: Int, _ names: [String], _ deleted: [String], _ keepable: [Int]) {
        let rule = KeepLastClips(prefix: "v", count: keep)
        #expect(rule.superseded(existingFileNames: names) == deleted)
        let lowestKept = keepable.min() ?? 0
        for index in keepable { #expect(rule.supersedingClip(of: index, existingFileNames: names) == nil, "\(index)") }
        if lowestKept > 0 {
            #expect(rule.supersedingClip(of: lowestKept - 1, existingFileNames: names) != nil)
        }
    }

    /// Clips filed in any order end with the same folder as Isaac Lab's in-order recorder.
    @Test(arguments: [[0, 1, 2, 3, 4, 5], [5, 4, 3, 2, 1, 0], [2, 0, 5, 1, 4, 3], [3, 5, 0, 1, 2, 4]])
    func anyFilingOrderKeepsTheNewest(order: [Int]) {
        let rule = KeepLastClips(prefix: "v", count: 2)
        var folder: Set<String> = ["v_0000.mp4.other"]
        for index in order {
            if rule.supersedingClip(of: index, existingFileNames: folder) == nil {
                folder.insert(IsaacLabClipNaming.fileName(prefix: "v", index: index))
            }
            folder.subtract(rule.superseded(existingFileNames: Array(folder)))
            #expect(folder.filter { $0.hasSuffix(".mp4") }.count <= 2)
        }
        #expect(folder == ["v_0004.mp4", "v_0005.mp4", "v_0000.mp4.other"])
    }
}
