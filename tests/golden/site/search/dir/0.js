cablesiteSearch.dir(0,["\"it'","critic","interior","politic","those"]);
