cablesiteSearch.lexdir("r",0,[[1,"3"],[6,"veileb"]]);
