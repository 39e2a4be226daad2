/* GET /: the version document. */
#include "../http/app.h"
#include "../http/routes.h"

int
h_root(struct ctx *c)
{
	reply_json(c, 200);
	struct jw *w = &c->w;
	jw_obj(w, NULL);
	jw_arr(w, "versions");
	jw_obj(w, NULL);
	jw_str(w, "id", "v1.0");
	jw_str(w, "max_version", "1.39");
	jw_str(w, "min_version", "1.0");
	jw_str(w, "status", "CURRENT");
	jw_arr(w, "links");
	jw_obj(w, NULL);
	jw_str(w, "rel", "self");
	jw_str(w, "href", "");
	jw_obj_end(w);
	jw_arr_end(w);
	jw_obj_end(w);
	jw_arr_end(w);
	jw_obj_end(w);
	return 0;
}
