CREATE DATABASE huanjie_personnel;
