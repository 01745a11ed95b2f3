#include "ccairo.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

// One pointer per cairo function used, resolved by ccairo_load.
#define CC_FUNCS(X) \
  X(cairo_surface_t *, image_surface_create, (cairo_format_t, int, int)) \
  X(cairo_surface_t *, image_surface_create_from_png_stream, (cairo_read_func_t, void *)) \
  X(unsigned char *, image_surface_get_data, (cairo_surface_t *)) \
  X(int, image_surface_get_stride, (cairo_surface_t *)) \
  X(int, image_surface_get_width, (cairo_surface_t *)) \
  X(int, image_surface_get_height, (cairo_surface_t *)) \
  X(void, surface_flush, (cairo_surface_t *)) \
  X(cairo_status_t, surface_status, (cairo_surface_t *)) \
  X(cairo_status_t, surface_write_to_png_stream, (cairo_surface_t *, cairo_write_func_t, void *)) \
  X(void, surface_destroy, (cairo_surface_t *)) \
  X(cairo_t *, create, (cairo_surface_t *)) \
  X(cairo_status_t, status, (cairo_t *)) \
  X(void, destroy, (cairo_t *)) \
  X(void, save, (cairo_t *)) \
  X(void, restore, (cairo_t *)) \
  X(void, set_source_rgba, (cairo_t *, double, double, double, double)) \
  X(void, paint, (cairo_t *)) \
  X(void, rectangle, (cairo_t *, double, double, double, double)) \
  X(void, fill, (cairo_t *)) \
  X(void, stroke, (cairo_t *)) \
  X(void, new_path, (cairo_t *)) \
  X(void, move_to, (cairo_t *, double, double)) \
  X(void, line_to, (cairo_t *, double, double)) \
  X(void, close_path, (cairo_t *)) \
  X(void, set_line_width, (cairo_t *, double)) \
  X(void, set_dash, (cairo_t *, const double *, int, double)) \
  X(void, set_antialias, (cairo_t *, cairo_antialias_t)) \
  X(void, select_font_face, (cairo_t *, const char *, cairo_font_slant_t, cairo_font_weight_t)) \
  X(void, set_font_size, (cairo_t *, double)) \
  X(void, show_text, (cairo_t *, const char *)) \
  X(void, text_extents, (cairo_t *, const char *, cairo_text_extents_t *)) \
  X(void, translate, (cairo_t *, double, double)) \
  X(void, rotate, (cairo_t *, double)) \
  X(void, debug_reset_static_data, (void))

#define CC_PTR(ret, name, args) static ret (*p_##name) args;
CC_FUNCS(CC_PTR)

static void *handle;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

int ccairo_load(char *err, size_t errlen) {
  pthread_mutex_lock(&lock);
  if (handle) { pthread_mutex_unlock(&lock); return 0; }
  void *h = dlopen("libcairo.so.2", RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char *e = dlerror();
    snprintf(err, errlen, "cannot load libcairo.so.2 (install libcairo2): %s", e ? e : "dlopen failed");
    pthread_mutex_unlock(&lock);
    return -1;
  }
#define CC_RESOLVE(ret, name, args) \
  p_##name = (ret (*) args)dlsym(h, "cairo_" #name); \
  if (!p_##name) { snprintf(err, errlen, "libcairo.so.2 has no cairo_" #name); dlclose(h); pthread_mutex_unlock(&lock); return -1; }
  CC_FUNCS(CC_RESOLVE)
  handle = h;
  pthread_mutex_unlock(&lock);
  return 0;
}

void ccairo_unload(void) {
  pthread_mutex_lock(&lock);
  if (handle) {
    p_debug_reset_static_data();
    dlclose(handle);
    handle = NULL;
  }
  pthread_mutex_unlock(&lock);
}

int ccairo_loaded(void) { return handle != NULL; }

cairo_surface_t *cc_image_surface_create(cairo_format_t f, int w, int h) { return p_image_surface_create(f, w, h); }
cairo_surface_t *cc_image_surface_create_from_png_stream(cairo_read_func_t r, void *c) { return p_image_surface_create_from_png_stream(r, c); }
unsigned char *cc_image_surface_get_data(cairo_surface_t *s) { return p_image_surface_get_data(s); }
int cc_image_surface_get_stride(cairo_surface_t *s) { return p_image_surface_get_stride(s); }
int cc_image_surface_get_width(cairo_surface_t *s) { return p_image_surface_get_width(s); }
int cc_image_surface_get_height(cairo_surface_t *s) { return p_image_surface_get_height(s); }
void cc_surface_flush(cairo_surface_t *s) { p_surface_flush(s); }
cairo_status_t cc_surface_status(cairo_surface_t *s) { return p_surface_status(s); }
cairo_status_t cc_surface_write_to_png_stream(cairo_surface_t *s, cairo_write_func_t w, void *c) { return p_surface_write_to_png_stream(s, w, c); }
void cc_surface_destroy(cairo_surface_t *s) { p_surface_destroy(s); }
cairo_t *cc_create(cairo_surface_t *s) { return p_create(s); }
cairo_status_t cc_status(cairo_t *cr) { return p_status(cr); }
void cc_destroy(cairo_t *cr) { p_destroy(cr); }
void cc_save(cairo_t *cr) { p_save(cr); }
void cc_restore(cairo_t *cr) { p_restore(cr); }
void cc_set_source_rgba(cairo_t *cr, double r, double g, double b, double a) { p_set_source_rgba(cr, r, g, b, a); }
void cc_paint(cairo_t *cr) { p_paint(cr); }
void cc_rectangle(cairo_t *cr, double x, double y, double w, double h) { p_rectangle(cr, x, y, w, h); }
void cc_fill(cairo_t *cr) { p_fill(cr); }
void cc_stroke(cairo_t *cr) { p_stroke(cr); }
void cc_new_path(cairo_t *cr) { p_new_path(cr); }
void cc_move_to(cairo_t *cr, double x, double y) { p_move_to(cr, x, y); }
void cc_line_to(cairo_t *cr, double x, double y) { p_line_to(cr, x, y); }
void cc_close_path(cairo_t *cr) { p_close_path(cr); }
void cc_set_line_width(cairo_t *cr, double w) { p_set_line_width(cr, w); }
void cc_set_dash(cairo_t *cr, const double *d, int n, double o) { p_set_dash(cr, d, n, o); }
void cc_set_antialias(cairo_t *cr, cairo_antialias_t a) { p_set_antialias(cr, a); }
void cc_select_font_face(cairo_t *cr, const char *f, cairo_font_slant_t s, cairo_font_weight_t w) { p_select_font_face(cr, f, s, w); }
void cc_set_font_size(cairo_t *cr, double size) { p_set_font_size(cr, size); }
void cc_show_text(cairo_t *cr, const char *utf8) { p_show_text(cr, utf8); }
void cc_text_size(cairo_t *cr, const char *utf8, double *width, double *height) {
  cairo_text_extents_t e;
  p_text_extents(cr, utf8, &e);
  *width = e.x_advance;
  *height = e.height;
}
void cc_translate(cairo_t *cr, double x, double y) { p_translate(cr, x, y); }
void cc_rotate(cairo_t *cr, double a) { p_rotate(cr, a); }
