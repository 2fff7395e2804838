import CEGL
import FarmCore

/// A rollout's shapes on the GPU: one instanced batch per geometry, their per-frame instance data
/// composed from body_q, and the draw loop every scene pass shares.
final class SceneGeometry {
    private(set) var batches: [SceneBatch]
    let meshes: [MeshData]
    private let gpuBatches: [GPUBatch]
    /// Per batch: the unit geometry's extent, for culling.
    private let extents: [SIMD3<Float>]
    private var visibleData: [Float] = []

    init(batches: [SceneBatch], meshes: [MeshData]) throws(RenderError) {
        self.batches = batches
        self.meshes = meshes
        var gpu: [GPUBatch] = []
        for batch in batches {
            gpu.append(try GPUBatch(mesh: batch.geometry.mesh(meshes), instanceCount: batch.instances.count))
        }
        gpuBatches = gpu
        for (batch, gpuBatch) in zip(batches, gpuBatches) where batch.isStatic {
            gpuBatch.upload(batch.data)
        }
        extents = batches.map { $0.geometry.extent(meshes) }
    }

    /// Composes one step's instance data. Shapes are uploaded per pass, culled to what that pass
    /// can see; moving ground (never culled) here.
    func update(poses: BodyPoseRows, step: Int) {
        for i in batches.indices where !batches[i].isStatic {
            batches[i].update(poses: poses, step: step)
            if batches[i].isGround { gpuBatches[i].upload(batches[i].data) }
        }
    }

    /// The shape batches with the unit geometry's extent of each, for shadow bounds.
    func batchesWithExtents(where include: (SceneBatch) -> Bool) -> [(batch: SceneBatch, extent: SIMD3<Float>)] {
        zip(batches, extents).filter { include($0.0) }.map { (batch: $0.0, extent: $0.1) }
    }

    /// Draws the batches `include` accepts with the program in use, calling `prepare` before each.
    /// With a culler, shape batches are first uploaded with only the instances it can see; ground
    /// is never culled.
    func draw(culledTo culler: FrustumCuller? = nil, prepare: (SceneBatch) -> Void = { _ in },
              _ include: (SceneBatch) -> Bool) {
        for (i, (batch, gpu)) in zip(batches, gpuBatches).enumerated() where include(batch) {
            if let culler, !batch.isGround {
                batch.visibleInstances(culler, extent: extents[i], into: &visibleData)
                gpu.upload(visibleData)
            }
            if batch.cullsBackFaces { glEnable(GLenum(GL_CULL_FACE)) } else { glDisable(GLenum(GL_CULL_FACE)) }
            prepare(batch)
            gpu.draw()
        }
    }
}
