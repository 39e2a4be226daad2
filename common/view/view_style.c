/* The view's stylesheet, served as /style.css (the pages' Content-Security-
 * Policy allows styles from the view itself only: no inline style). */
#include "view_pages.h"

const char view_css[] =
	"body{font:14px/1.4 sans-serif;margin:0;color:#222;background:#fafafa}"
	"header{display:flex;gap:1.5em;align-items:center;padding:.5em 1em;background:#234;color:#fff}"
	"header a{color:#fff;text-decoration:none}header .home{font-weight:bold}"
	"header nav a{margin-right:1em}header form{margin-left:auto}"
	"header input{width:22em}"
	"main{padding:0 1em 2em}h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.5em}"
	"table{border-collapse:collapse;margin:.5em 0}"
	"th,td{text-align:left;padding:.2em .6em;border-bottom:1px solid #ddd;vertical-align:top}"
	"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
	".uuid{color:#666;font-family:monospace;font-size:.9em}"
	".bar{vertical-align:middle}.bar .free{fill:#dfe8df}.bar .used{fill:#3a7}"
	".bar .full{fill:#c33}.bar .reserved{fill:#999}"
	".chart .free{fill:#dfe8df}.chart .used{fill:#3a7}.chart .reserved{fill:#999}.chart text{font-size:12px}"
	".note{color:#666}.num{font-variant-numeric:tabular-nums}"
	"ul.tree{list-style:none;padding-left:1.2em;margin:.2em 0}"
	"ul.tree li{margin:.3em 0}.inv{margin-left:1em;color:#333}"
	".inv div{margin:.1em 0}.inv .rc{display:inline-block;width:11em}"
	".tags span{display:inline-block;background:#e4e9f0;border-radius:3px;padding:0 .4em;margin:.1em}"
	".zero{background:#fde2e2;font-weight:bold}.error{background:#fde2e2;padding:.5em 1em}"
	"textarea{width:100%;max-width:60em;font-family:monospace}"
	".pager{margin:1em 0}.sharing{color:#555}";
