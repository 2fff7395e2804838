"""Scene export from a compiled MuJoCo model (``mujoco.MjModel``) and poses from its ``MjData``.

MuJoCo's conventions become the farm's here: quaternions ``w, x, y, z`` → ``x, y, z, w``; the
world body (id 0) → ``-1`` and body ``b`` → ``b - 1``; plane half-extents → full width and length
(a 0 half-extent is MuJoCo's infinite plane, the farm's size 0); RGBA → RGB. Geom poses are local
to their body (``geom_pos``/``geom_quat``), so one pose per body drives every geom on it.

Assets (for cameras that follow a body, docs/ROLLOUT.md): each tree of bodies hanging from the
world body is one asset, its bodies in MuJoCo's order, its root first. The first tree (MuJoCo body 1,
the robot in gymnasium's MuJoCo envs: Ant's ``torso``) is named ``robot`` as Isaac Lab names its
robot; the others take their root body's name. Bodies keep MuJoCo's names (``body<id>`` if unnamed).
"""

from __future__ import annotations

from typing import Any, Iterable, Literal

import numpy as np

from ..rollout import Asset, Mesh, Scene, Shape, Viewer
from .errors import SceneExportError
from .transforms import poses, wxyz_to_xyzw

# mjvOption's default ``geomgroup`` is [1, 1, 1, 0, 0, 0]: groups 0-2 are drawn, 3-5 hidden.
DEFAULT_VISIBLE_GROUPS = (0, 1, 2)
# A geom's rgba attribute defaults to this; MuJoCo then takes the material's colour instead.
MUJOCO_DEFAULT_RGBA = (0.5, 0.5, 0.5, 1.0)

# mjtGeom values (stable across MuJoCo 2.x-3.x).
_PLANE, _HFIELD, _SPHERE, _CAPSULE, _ELLIPSOID, _CYLINDER, _BOX, _MESH = range(8)
# mjtTextureRole.mjTEXROLE_RGB: the colour texture of a material; mjtTexture.mjTEXTURE_CUBE.
_TEXROLE_RGB = 1
_TEXTURE_CUBE = 1


def from_mujoco(model: Any, *, visible_groups: Iterable[int] = DEFAULT_VISIBLE_GROUPS,
                hfield: Literal["mesh", "refuse"] = "mesh", viewer: Viewer | None = None) -> Scene:
    """The farm scene of a compiled ``mujoco.MjModel``: one farm body per MuJoCo body but the world.

    Only geoms MuJoCo's viewer draws by default are kept: group in ``visible_groups`` and a
    colour alpha above 0. Colours follow MuJoCo's rule: the geom's rgba unless it has a material
    and left rgba at its default, then the material's; a material's colour texture modulates it
    by its mean texel. Heightfields become meshes of their top surface (``hfield="refuse"`` raises
    instead). Pair with :func:`mujoco_body_poses` for the rows.
    """
    groups = set(int(g) for g in visible_groups)
    colors = mujoco_geom_colors(model)
    meshes: list[Mesh] = []
    mesh_index: dict[tuple[int, int], int] = {}  # (geom type, data id) → index into meshes
    shapes = []
    for geom in range(model.ngeom):
        if int(model.geom_group[geom]) not in groups or colors[geom, 3] <= 0:
            continue
        kind = int(model.geom_type[geom])
        size = model.geom_size[geom]
        common = dict(body=int(model.geom_bodyid[geom]) - 1,
                      transform=poses(model.geom_pos[geom], wxyz_to_xyzw(model.geom_quat[geom])),
                      color=np.clip(colors[geom, :3], 0.0, 1.0))
        if kind == _PLANE:
            infinite = size[0] <= 0 or size[1] <= 0
            shapes.append(Shape.plane(0.0 if infinite else 2 * size[0], 0.0 if infinite else 2 * size[1], **common))
        elif kind == _SPHERE:
            shapes.append(Shape.sphere(size[0], **common))
        elif kind == _CAPSULE:
            shapes.append(Shape.capsule(size[0], size[1], **common))
        elif kind == _CYLINDER:
            shapes.append(Shape.cylinder(size[0], size[1], **common))
        elif kind == _ELLIPSOID:
            shapes.append(Shape.ellipsoid(size[:3], **common))
        elif kind == _BOX:
            shapes.append(Shape.box(size[:3], **common))
        elif kind in (_MESH, _HFIELD):
            if kind == _HFIELD and hfield == "refuse":
                raise SceneExportError("is a heightfield; export it with hfield=\"mesh\" or hide its group",
                                       element=_geom_name(model, geom))
            key = (kind, int(model.geom_dataid[geom]))
            if key not in mesh_index:
                mesh_index[key] = len(meshes)
                meshes.append(_mesh(model, key[1]) if kind == _MESH else _hfield_mesh(model, key[1]))
            shapes.append(Shape.mesh_instance(mesh_index[key], **common))
        else:
            raise SceneExportError(f"has geom type {kind} (mjtGeom), which the farm cannot draw",
                                   element=_geom_name(model, geom))
    return Scene(shapes, num_bodies=model.nbody - 1, meshes=meshes, viewer=viewer, assets=mujoco_assets(model))


def mujoco_assets(model: Any, *, first: str = "robot") -> list[Asset]:
    """One asset per tree of bodies under the world (``body_rootid``), the first named ``first``, the
    others after their root body; farm rows are MuJoCo body ids minus one."""
    roots = np.asarray(model.body_rootid)
    assets: list[Asset] = []
    for root in dict.fromkeys(int(r) for r in roots[1:]):
        bodies = [b for b in range(1, model.nbody) if int(roots[b]) == root]
        names = [_body_name(model, b) for b in bodies]
        name = first if not assets else names[0] if names[0] != first else f"body{root}"
        assets.append(Asset(name, names, [[b - 1 for b in bodies]]))
    return assets


def mujoco_body_poses(model: Any, data: Any, *, kinematics: bool = True) -> np.ndarray:
    """``[nbody - 1, 7]`` poses (x,y,z,w quaternions) of every body but the world, for ``data.qpos``.

    ``data.xpos``/``xquat`` are computed inside ``mj_step`` *before* it integrates, so after a
    step they describe the previous ``qpos``. With ``kinematics`` (the default) this runs
    ``mujoco.mj_kinematics`` first, which only recomputes those derived positions; pass
    ``kinematics=False`` when they are known to be current (e.g. right after ``mj_forward``).
    """
    if kinematics:
        import mujoco

        mujoco.mj_kinematics(model, data)
    return poses(data.xpos[1:], wxyz_to_xyzw(data.xquat[1:]))


def mujoco_geom_colors(model: Any) -> np.ndarray:
    """``[ngeom, 4]`` RGBA in 0..1 as MuJoCo's renderer colours each geom (see :func:`from_mujoco`)."""
    rgba = np.array(model.geom_rgba, dtype=np.float64)
    texture_means = [_texture_mean(model, t) for t in range(model.ntex)]
    for geom in range(model.ngeom):
        material = int(model.geom_matid[geom])
        if material < 0:
            continue
        if np.allclose(rgba[geom], MUJOCO_DEFAULT_RGBA):
            rgba[geom] = model.mat_rgba[material]
        texture = _material_texture(model, material)
        if texture >= 0:
            rgba[geom, :3] *= texture_means[texture]
    return rgba


def _material_texture(model: Any, material: int) -> int:
    ids = np.atleast_1d(model.mat_texid[material])
    return int(ids[_TEXROLE_RGB] if ids.size > _TEXROLE_RGB else ids[0])


def _texture_mean(model: Any, texture: int) -> np.ndarray:
    """Mean RGB of a texture's texels, 0..1. A cube texture's bottom face (the fourth of its six
    stacked faces, which ``builtin="flat"`` fills with ``rgb2``) is left out: cameras see the rest."""
    channels = int(model.tex_nchannel[texture]) if hasattr(model, "tex_nchannel") else 3
    width, height = int(model.tex_width[texture]), int(model.tex_height[texture])
    start = int(model.tex_adr[texture])
    texels = np.asarray(model.tex_data[start:start + width * height * channels], dtype=np.float64)
    texels = texels.reshape(height, width, channels)
    if int(model.tex_type[texture]) == _TEXTURE_CUBE and height == 6 * width:
        texels = np.concatenate([texels[:3 * width], texels[4 * width:]])
    texels = texels.reshape(-1, channels)
    rgb = texels[:, :3] if channels >= 3 else np.repeat(texels[:, :1], 3, axis=1)
    mean: np.ndarray = rgb.mean(axis=0) / 255.0
    return mean


def _mesh(model: Any, mesh: int) -> Mesh:
    v0, nv = int(model.mesh_vertadr[mesh]), int(model.mesh_vertnum[mesh])
    f0, nf = int(model.mesh_faceadr[mesh]), int(model.mesh_facenum[mesh])
    return Mesh(model.mesh_vert[v0:v0 + nv], model.mesh_face[f0:f0 + nf])


def _hfield_mesh(model: Any, hfield: int) -> Mesh:
    """The top surface of a heightfield, in the geom's frame as MuJoCo places it:
    x, y spanning ±size[0], ±size[1]; z = elevation (0..1) × size[2]."""
    rows, cols = int(model.hfield_nrow[hfield]), int(model.hfield_ncol[hfield])
    rx, ry, rz, _ = model.hfield_size[hfield]
    start = int(model.hfield_adr[hfield])
    elevation = np.asarray(model.hfield_data[start:start + rows * cols], dtype=np.float64).reshape(rows, cols)
    y, x = np.meshgrid(np.linspace(-ry, ry, rows), np.linspace(-rx, rx, cols), indexing="ij")
    vertices = np.stack([x, y, elevation * rz], axis=-1).reshape(-1, 3)
    corner = (np.arange(rows - 1)[:, None] * cols + np.arange(cols - 1)[None, :]).reshape(-1)
    a, b, c, d = corner, corner + 1, corner + cols, corner + cols + 1
    triangles = np.concatenate([np.stack([a, b, d], axis=-1), np.stack([a, d, c], axis=-1)])
    return Mesh(vertices, triangles)


def _body_name(model: Any, body: int) -> str:
    import mujoco

    return mujoco.mj_id2name(model, mujoco.mjtObj.mjOBJ_BODY, body) or f"body{body}"


def _geom_name(model: Any, geom: int) -> str:
    import mujoco

    name = mujoco.mj_id2name(model, mujoco.mjtObj.mjOBJ_GEOM, geom)
    return f"geom {name!r} (id {geom})" if name else f"geom {geom}"
