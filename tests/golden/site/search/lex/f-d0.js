cablesiteSearch.lexdir("f",0,[[1,"3"],[6,"togeth"]]);
