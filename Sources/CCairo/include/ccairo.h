// Cairo, loaded with dlopen only when a chart is drawn: linking libcairo (and the pixman,
// fontconfig, freetype, X11 and xcb libraries it pulls in) costs an idle opsbot ~2.6 MB of RSS
// for a feature used a few times a day. Each `cc_*` function calls the same-named cairo
// function through a pointer that `ccairo_load` resolved.
#ifndef CCAIRO_H
#define CCAIRO_H
#include <cairo/cairo.h>
#include <stddef.h>

/// Loads libcairo.so.2 and resolves every function; 0 on success, else -1 with the reason in `err`.
int ccairo_load(char *err, size_t errlen);
/// Drops cairo's caches and unloads it (the next `ccairo_load` loads it again).
void ccairo_unload(void);
/// 1 while loaded.
int ccairo_loaded(void);

cairo_surface_t *cc_image_surface_create(cairo_format_t format, int width, int height);
cairo_surface_t *cc_image_surface_create_from_png_stream(cairo_read_func_t read, void *closure);
unsigned char *cc_image_surface_get_data(cairo_surface_t *s);
int cc_image_surface_get_stride(cairo_surface_t *s);
int cc_image_surface_get_width(cairo_surface_t *s);
int cc_image_surface_get_height(cairo_surface_t *s);
void cc_surface_flush(cairo_surface_t *s);
cairo_status_t cc_surface_status(cairo_surface_t *s);
cairo_status_t cc_surface_write_to_png_stream(cairo_surface_t *s, cairo_write_func_t write, void *closure);
void cc_surface_destroy(cairo_surface_t *s);
cairo_t *cc_create(cairo_surface_t *s);
cairo_status_t cc_status(cairo_t *cr);
void cc_destroy(cairo_t *cr);
void cc_save(cairo_t *cr);
void cc_restore(cairo_t *cr);
void cc_set_source_rgba(cairo_t *cr, double r, double g, double b, double a);
void cc_paint(cairo_t *cr);
void cc_rectangle(cairo_t *cr, double x, double y, double w, double h);
void cc_fill(cairo_t *cr);
void cc_stroke(cairo_t *cr);
void cc_new_path(cairo_t *cr);
void cc_move_to(cairo_t *cr, double x, double y);
void cc_line_to(cairo_t *cr, double x, double y);
void cc_close_path(cairo_t *cr);
void cc_set_line_width(cairo_t *cr, double w);
void cc_set_dash(cairo_t *cr, const double *dashes, int n, double offset);
void cc_set_antialias(cairo_t *cr, cairo_antialias_t a);
void cc_select_font_face(cairo_t *cr, const char *family, cairo_font_slant_t slant, cairo_font_weight_t weight);
void cc_set_font_size(cairo_t *cr, double size);
void cc_show_text(cairo_t *cr, const char *utf8);
/// Width and height of `utf8` at the current font (x_advance, height of the ink box).
void cc_text_size(cairo_t *cr, const char *utf8, double *width, double *height);
void cc_translate(cairo_t *cr, double x, double y);
void cc_rotate(cairo_t *cr, double angle);
#endif
