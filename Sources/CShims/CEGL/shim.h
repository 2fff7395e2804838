// EGL for headless contexts and OpenGL 3.3 core through libglvnd's libOpenGL (no GLX, no window).
// EGL extension functions are loaded with eglGetProcAddress, never linked directly.
#include <EGL/egl.h>
#include <EGL/eglext.h>
#define GL_GLEXT_PROTOTYPES 1
#include <GL/glcorearb.h>
